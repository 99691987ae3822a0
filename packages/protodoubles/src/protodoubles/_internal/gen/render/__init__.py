"""Render: the protocol module as text: members, attributes, properties, the imports they need, and protocol families."""
