<?php
// local_sentry: error reporting for the Moodle site
$CFG->forced_plugin_settings['local_sentry'] = [
    'dsn' => 'https://e94dad13a3f0231d67a879d887a91540@o450123.ingest.sentry.io/5512345',
    'environment' => 'production',
];
