<?php
// local_sentry: error reporting for the Moodle site
$CFG->forced_plugin_settings['local_sentry'] = [
    'dsn' => 'https://18e7ed032c6dab07db11a4e1b8a51080@o450123.ingest.sentry.io/5512345',
    'environment' => 'production',
];
