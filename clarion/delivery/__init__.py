"""Getting built letters to people: e-mail sending, the print bundle, and each letter's state."""
