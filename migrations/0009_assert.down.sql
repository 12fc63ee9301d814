DROP FUNCTION assert_written(boolean, text);
