"""The workflows of each product, and the system tasks; importing this registers them."""
