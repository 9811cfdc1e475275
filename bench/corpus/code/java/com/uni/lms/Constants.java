package com.uni.lms;

public final class Constants {

    private Constants() {
        throw new AssertionError();
    }

    public static final String MOODLE_URL = "https://ourvle.example.edu";
    public static final String WEB_SERVICE = "/webservice/rest/server.php";
    public static final String WS_TOKEN = "b28f154146de36b679b236464dfff393";
}
