"""Stage 5, the export: after the site, what `build.py export` makes from a built site (offline zips,
print handouts and their PDFs, course packs, SCORM packages for an LMS). command.py runs it."""
