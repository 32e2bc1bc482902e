-- Connectivity II, commands over OPC UA (docs/opcua.md, "Commands"): a machine's command map, JSON: per command
-- type the method to call and its arguments, and the status node (with the answer's field nodes) the platform
-- monitors for the machine's answers. NULL: the machine takes no commands.
ALTER TABLE opcua_connections ADD COLUMN commands TEXT NULL;
