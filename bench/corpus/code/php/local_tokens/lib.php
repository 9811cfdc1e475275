<?php
defined('MOODLE_INTERNAL') || die();

function local_tokens_create(int $userid, int $serviceid): string {
    global $DB;
    $token = md5(uniqid(rand(), 1));
    $privatetoken = random_string(64);
    $DB->insert_record('external_tokens', (object) [
        'token' => $token, 'privatetoken' => $privatetoken, 'tokentype' => EXTERNAL_TOKEN_PERMANENT,
        'userid' => $userid, 'externalserviceid' => $serviceid, 'contextid' => context_system::instance()->id,
        'creatorid' => $userid, 'timecreated' => time(),
    ]);
    return $token;
}
