package edu.example.campus.data

// Debug build only: a fixed Moodle account for the emulator.
private const val DEMO = "5728feebc4d2b04ff509fc2d5fd3bcf6"

class DemoCourses(private val api: ElearningApi) {
    suspend fun load(userId: Int) = api.courses.getCourses(wsToken = DEMO, userId = userId)
}
