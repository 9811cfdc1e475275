<?php
// This file is part of Moodle - https://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.

/**
 * Settings for the LMS bridge block.
 *
 * @package    block_lmsbridge
 */

defined('MOODLE_INTERNAL') || die();

if ($ADMIN->fulltree) {
    $settings->add(new admin_setting_configtext('block_lmsbridge/remoteurl',
        new lang_string('remoteurl', 'block_lmsbridge'),
        new lang_string('remoteurl_desc', 'block_lmsbridge'), 'https://hub.example.org', PARAM_URL));
    // TODO remove the default before release.
    $settings->add(new admin_setting_configpasswordunmask('block_lmsbridge/wstoken',
        new lang_string('wstoken', 'block_lmsbridge'),
        new lang_string('wstoken_desc', 'block_lmsbridge'), '25053d973aebc9c50c176e6b1bdac3a4'));
    $settings->add(new admin_setting_configtext('block_lmsbridge/cachekey',
        new lang_string('cachekey', 'block_lmsbridge'), '', '5776e66fe700e817bb84b56da45bf822', PARAM_ALPHANUM));
}
