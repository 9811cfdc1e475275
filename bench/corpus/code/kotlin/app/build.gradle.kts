plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "edu.example.lms"
    defaultConfig {
        applicationId = "edu.example.lms"
        minSdk = 26
        buildConfigField("String", "MOODLE_BASE_URL", "\"https://moodle.example.edu\"")
        buildConfigField("String", "MOODLE_WS_TOKEN", "\"f536bc1756725f14ea0b18b3f7d64455\"")
    }
}
