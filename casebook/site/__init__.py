"""Stage 4: the generated folder through an engine (MkDocs or Zensical) into a site, served or
exported. The only code that imports MkDocs or Material."""
