"""Report renderers (PDF, xlsx) over figures computed in the domain."""
