DROP TABLE IF EXISTS thirdparty_orders, thirdparty_customers, thirdparty_agents;
ALTER TABLE stores ALTER COLUMN code DROP NOT NULL,
                   ALTER COLUMN code DROP DEFAULT;
DROP FUNCTION IF EXISTS thirdparty_code(text);
