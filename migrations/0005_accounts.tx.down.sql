DROP TABLE IF EXISTS mail_messages;
DROP TABLE IF EXISTS account_tokens;
DROP TABLE IF EXISTS personal_access_tokens;
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS users;
