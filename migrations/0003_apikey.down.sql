DROP TABLE outbox_attempts;
DROP TABLE outbox;
DROP TABLE pos_sales;
ALTER TABLE merchants DROP COLUMN operations_used;
