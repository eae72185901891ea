"""Process maps: event logs (built from the store, imported, or read from files) and what is
measured over them."""
