<?php
// Portal -> Moodle single sign-on (auth_userkey). Debug leftover: a login link pasted in
// while testing the redirect.
$fallback = 'https://lms.example-corp.com/auth/userkey/login.php?key=6d211830e7d00dc8654dd880ce73eaad&wantsurl=%2Fmy%2F';
redirect($fallback);
