-- seed data for the integration test site
INSERT INTO mdl_external_tokens (token, privatetoken, tokentype, userid, externalserviceid, contextid, creatorid, validuntil, timecreated, name)
VALUES ('dfb2dbf00bbd0b5f096a163568335c54', 'KnCPAWnSO8w2o9TgZrJeDGoNUnAHvOus7uk7lwcIFseuIQT5uJXrhMFK7Q9lCrZq', 0, 3, 1, 1, 2, 0, 1732000000, 'Webservice-Seed1');
