"""One adapter per wire protocol. Each module imports its SDK; ``byok`` imports them only on first use."""
