-- Connectivity II, commands over every protocol. A Modbus machine's command map (docs/modbus.md, "Commands"):
-- which holding registers a command's members and its type's code are written to, and where the machine answers.
-- JSON, validated by the API; NULL when the machine takes no commands over Modbus.
ALTER TABLE modbus_connections ADD COLUMN commands TEXT;
