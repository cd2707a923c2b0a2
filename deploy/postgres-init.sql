-- The key store lives in its own database, so that a backup of the main
-- database holds no data keys (crypto-shredding).
CREATE DATABASE weerbaar_keys;
