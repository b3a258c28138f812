-- An Idempotency-Key is marked committed in the same transaction as the request's first write, so
-- a key whose work committed is never run again, even when the process died before its answer was
-- stored (decision 0006). result_type / result_id name what that first write made or changed.
ALTER TABLE idempotency_keys ADD COLUMN committed_at BIGINT;
ALTER TABLE idempotency_keys ADD COLUMN result_type TEXT;
ALTER TABLE idempotency_keys ADD COLUMN result_id BIGINT;
