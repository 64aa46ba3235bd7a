"""Names vulture reports as unused that are used, each with who uses it (read by
scripts/deadcode; never imported). Only names a framework or a reader outside the code uses
belong here: a name nothing uses is removed, not listed."""
from vulture.whitelist_utils import Whitelist

used = Whitelist()

_ = (
    # click commands: registered by their decorators, reached through COMMANDS
    used.new_case, used.new_open_letter, used.new_press_reaction,  # cli/content.py
    used.keys_new, used.keys_show,  # cli/signing.py
    # dataclass fields read outside the package: bundle.json (asdict), verification results
    used.first_page,  # delivery/bundle.py Letter, written to the bundle's JSON
    used.timestamped,  # output/signing.py SignatureCheck, for callers of verify
    # enum members named only in workspace files
    used.MALE, used.FEMALE,  # workspace/model.py Gender
    # the public API: clarion/__init__.py names it in a string, imported on first use
    used.load_workspace,  # workspace/load.py
    # signal handlers: the signature is the signal module's
    used.signum,  # pipeline/engine.py, render/sandbox.py
    # Jinja calls these on its subclasses
    used.npgettext,  # render/i18n.py Catalog: install_gettext_translations
    used.get_source,  # render/templating.py ConfinedLoader
    used.load_bytecode, used.dump_bytecode,  # render/templating.py _CompiledTemplates
    used.intercepted_binops, used.code_generator_class,  # render/sandbox.py LimitedSandbox
    used.volatile,  # render/sandbox.py: Jinja's EvalContext attribute
    used.__self,  # render/sandbox.py LimitedSandbox.call: Jinja's signature
    # the standard library and Markdown call these on their subclasses
    used.handle_starttag,  # render/markup.py _Audit (HTMLParser)
    used.extendMarkdown,  # render/markup.py _FootnoteExtension (markdown.Extension)
    # Babel extracts these lists of phrases (babel.cfg); the code looks each up by its text
    used.CODE_PHRASES, used.STATUS_SENTENCES,  # render/phrases.py
    # declarations read by the tests that keep documentation and tables in step
    used.media_type,  # formats.py Format: listed in CONTRIBUTING.md, checked by test_registries
    used.markdown_table,  # workspace/declare.py: test_declarations writes docs/format.md's tables
    used.PRONOUN_GENDERS, used.ZONE_KEYS,  # render/languages.py: test_i18n checks each language
    # the one-call form of for_campaigns, used by tests/test_load_for.py
    used.load_for,  # pipeline/check.py
    # pyHanko calls it on its TimeStamper subclass
    used.async_request_tsa_response,  # output/signing.py pinned_timestamper
    # click registers a command by its decorator, under the name given (`signon import`)
    used.import_,  # cli/signon.py
    # HTMLParser calls these on its subclass
    used.handle_startendtag, used.handle_endtag, used.handle_entityref,  # output/email_html.py
    used.handle_charref,
    # python-docx properties: setting them writes the document's XML
    used.alignment, used.all_caps, used.author, used.autofit, used.base_style,
    used.bottom_margin, used.comments, used.different_first_page_header_footer,
    used.footer_distance, used.header_distance, used.height_rule, used.keep_with_next,
    used.last_modified_by, used.left_indent, used.left_margin, used.line_spacing,
    used.modified, used.page_break_before, used.page_width, used.revision, used.rgb,
    used.right_margin, used.space_after, used.subscript, used.superscript, used.top_margin,
    used.val, used.widow_control,  # output/docx_*.py
    # zipfile reads these when it writes an entry (identical .docx bytes on every build)
    used.compress_type, used.external_attr,  # output/docx_page.py
    # uvicorn's Server reads these to stop (clarion preview)
    used.should_exit, used.force_exit,  # preview/
)
