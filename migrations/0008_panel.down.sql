DROP TABLE IF EXISTS server_keys;
DROP TABLE IF EXISTS panel_sessions;
DROP TABLE IF EXISTS panel_users;
