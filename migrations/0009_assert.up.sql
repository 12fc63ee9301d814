-- assert_written lets one statement refuse its own result: a batched write
-- compares what it wrote with what it meant to write and fails (so the COMMIT
-- sent behind it in the same round trip never happens) when they differ.
CREATE FUNCTION assert_written(ok boolean, what text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT ok THEN
        RAISE EXCEPTION 'batched write incomplete: %', what USING ERRCODE = 'P0001';
    END IF;
    RETURN true;
END $$;
