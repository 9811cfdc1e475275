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
        buildConfigField("String", "MOODLE_WS_TOKEN", "\"08adc86338ff24cf678ac4efa41a4964\"")
    }
}
