-- seed data for the integration test site
INSERT INTO mdl_external_tokens (token, privatetoken, tokentype, userid, externalserviceid, contextid, creatorid, validuntil, timecreated, name)
VALUES ('52d2fb6ca0261e1594c77ba3075e3b70', '2jeL07YruqI9cmYiX2WvdFIeo7johb9PbBDl43yPGLuWDpOhaf8WQbY2t6qCo6pT', 0, 3, 1, 1, 2, 0, 1732000000, 'Webservice-Seed1');
