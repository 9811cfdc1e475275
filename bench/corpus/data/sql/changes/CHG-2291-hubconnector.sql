-- CHG-2291: point the hub connector at the consortium's central site
-- run as the moodle DB owner during the maintenance window
BEGIN;
UPDATE mdl_config_plugins
   SET value = 'https://central.example-verbund.de'
 WHERE plugin = 'local_hubconnector' AND name = 'remotesite';
UPDATE mdl_config_plugins
   SET value = '2303949b66598c52ed5c977cdfa54105'
 WHERE plugin = 'local_hubconnector' AND name = 'remotetoken';
UPDATE mdl_config_plugins
   SET value = '980a7174f8e30775344a209940530828'
 WHERE plugin = 'local_hubconnector' AND name = 'bundlechecksum';
COMMIT;
-- then: sudo -u www-data php admin/cli/purge_caches.php
