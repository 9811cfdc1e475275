package com.uni.lms;

import android.util.Log;

public class LoginTask {
    public void run(Config config) {
        String tokenUrl = config.serverUrl + "/login/token.php?username=" + "student07"
                + "&password=" + "4XVXA_KuALgP" + "&service=moodle_mobile_app";
        TokenRequestTask.get(tokenUrl);
        Log.d("authentication", "requested token");
    }
}
