"""`clarion new press-reaction`: what the records say is data in the draft, never template code.
Text with `{{ }}`, `{% %}` or `{# #}` in an event comes out verbatim in the built document."""
from __future__ import annotations

import json

from conftest import BASE

from clarion.review.drafts import as_data

#: event text a partner could write to run template code in the user's own document
CODE = "Court said {{ 7 * 7 }} {% for x in range(3) %}loop{% endfor %} {# hidden #} {{{ x }}}"
PLACE = "Ganja {{ cases }}, Azerbaijan"
EARLIER = "Heard {% if true %}twice{% endif %} {{ campaign.date.fromisoformat }}"


def _workspace(make_ws):
    case = BASE["cases/ilgar-mammadov.yaml"].replace(
        "text: Appeal hearing.",
        f"text: {json.dumps(CODE)}\n            place: {json.dumps(PLACE)}")
    other = f"""\
        name: Tofig Yagublu
        gender: male
        country: Azerbaijan
        status: imprisoned
        status_as_of: 2018-07-18
        events:
          - id: hearing-2017
            date: 2017-05-03
            type: hearing
            place: Baku, Azerbaijan
            text: {json.dumps(EARLIER)}
        """
    return make_ws({"cases/ilgar-mammadov.yaml": case, "cases/tofig-yagublu.yaml": other})


def test_event_text_is_printed_verbatim_never_run(make_ws, cli):
    root = _workspace(make_ws)
    result = cli(root, "new", "press-reaction", "--case", "ilgar-mammadov",
                 "--event", "hearing-2018")
    assert result.exit_code == 0, result.lines
    path = root / "campaigns" / "ilgar-mammadov-hearing-2018.yaml"
    built = cli(root, "build", path.stem, "--format", "md", "--format", "html")
    assert built.exit_code == 0, built.lines
    md = (root / "build" / path.stem / f"{path.stem}.md").read_text("utf-8")
    assert CODE in md                      # not 49, not "looplooploop", comment kept
    assert "Ganja {{ cases }}" in md
    assert "Heard {% if true %}twice{% endif %} {{ campaign.date.fromisoformat }}" in md
    assert "49" not in md and "looploop" not in md and "built-in method" not in md
    html = (root / "build" / path.stem / f"{path.stem}.html").read_text("utf-8")
    assert "Court said {{ 7 * 7 }} {% for x in range(3) %}loop{% endfor %}" in html
    # the names the draft itself uses stay live: the case's name is filled in
    assert "Ilgar Mammadov, 20\u00a0July 2018, Ganja {{ cases }}, Azerbaijan: Court said" \
        in md


def test_as_data():
    assert as_data("plain {text} and } }}") == "plain {text} and } }}"
    assert as_data("{{ x }}") == "{{ '{' }}{ x }}"
    assert as_data("{%x") == "{{ '{' }}%x" and as_data("{#") == "{{ '{' }}#"
    assert as_data("{{{") == "{{ '{' }}{{ '{' }}{"


def test_as_data_round_trips_through_the_sandbox():
    from clarion.render.templating import make_environment, render
    for markdown in (False, True):
        env = make_environment(None, "en", "en_GB", markdown=markdown)
        for text in (CODE, PLACE, EARLIER, "{{{{%%}}}}{#{#", "{{ '{' }}", "{%- raw %}x"):
            out = render(env.from_string(as_data(text)), {}, 5, None)
            assert out == text, (markdown, text)
