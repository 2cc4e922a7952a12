"""Climate action data the GCoM Common Reporting Framework asks for (issue 6)."""
