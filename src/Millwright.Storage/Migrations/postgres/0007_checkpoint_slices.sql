-- Checkpoints move a slice of the series at a time (docs/timeseries.md): ts_log rows may then outlive some of
-- their points, and log_through tells the replay which rows a series has already taken into its chunks.
ALTER TABLE ts_series ADD COLUMN log_through BIGINT NOT NULL DEFAULT 0;
