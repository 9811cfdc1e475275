-- staging refresh, step 4: messaging settings (run after the prod copy is restored)
-- MFA by SMS goes through the Twilio gateway on staging; the hub client points at the test hub.
DELETE FROM mdl_config_plugins WHERE plugin IN ('smsgateway_twilio', 'local_hubclient');
INSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('smsgateway_twilio', 'accountsid', 'AC99705a19f0dee6cca109fed7c1ea8d78');
INSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('smsgateway_twilio', 'authtoken', 'eacc2507bf0dfdc9a20ce842f5dd4b78');
INSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('smsgateway_twilio', 'fromnumber', '+15005550006');
INSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('local_hubclient', 'remoteurl', 'https://hub-test.example-consortium.org');
INSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('local_hubclient', 'remotetoken', 'acfbecb87d88622dbc0fd9015f685b5c');
