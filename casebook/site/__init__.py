"""Stage 4: the generated folder through an engine (MkDocs or Zensical) into a site, built
and served (the export stage, casebook/export/, packages the built site). The only code that
imports MkDocs or Material."""
