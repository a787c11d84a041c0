"""The nightly spec search: traces to lessons, teacher, gate, publish."""
