DROP TABLE IF EXISTS login_failures;
DROP INDEX IF EXISTS wallets_key;
DROP INDEX IF EXISTS loyalty_cards_key;
DROP TABLE IF EXISTS server_keys;
DROP TABLE IF EXISTS panel_sessions;
DROP TABLE IF EXISTS panel_users;
