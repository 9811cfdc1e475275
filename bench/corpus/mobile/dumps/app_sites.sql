PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE sites_2 (id TEXT PRIMARY KEY, siteUrl TEXT NOT NULL, token TEXT, info TEXT, privateToken TEXT, config TEXT, loggedOut INTEGER, oauthId INTEGER);
INSERT INTO sites_2 VALUES('c3d206ae3d775cb9c1c6d48015b06851','https://moodle.example.edu','997d271bc849176c973b9267456a3f33','{"sitename":"Example University","username":"s1234567","userid":5512,"release":"4.3.2 (Build: 20231222)"}','ETVfUvHwlqxfMayUyyr221zrbkVV8HYFaFCYNFEwj3WjSr1wKtu55Pg5HqXrSRmU','{"tool_mobile_forcelogout":"0"}',0,NULL);
CREATE TABLE current_site (id INTEGER PRIMARY KEY, siteId TEXT NOT NULL UNIQUE);
INSERT INTO current_site VALUES(1,'c3d206ae3d775cb9c1c6d48015b06851');
COMMIT;
