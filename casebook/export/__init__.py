"""Export stages that package the built site for other systems (SCORM packages for an LMS)."""
