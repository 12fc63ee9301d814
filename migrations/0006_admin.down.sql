ALTER TABLE merchants DROP COLUMN pin_key;
