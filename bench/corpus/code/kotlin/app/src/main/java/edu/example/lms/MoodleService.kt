package edu.example.lms

import retrofit2.Call
import retrofit2.http.POST
import retrofit2.http.Query

private const val DEFAULT_WS_TOKEN: String = "43ef64cd45a35bc75847e95fc92afaaf"

interface MoodleService {
    @POST("webservice/rest/server.php?wsfunction=core_webservice_get_site_info&moodlewsrestformat=json")
    fun siteInfo(@Query("wstoken") token: String = DEFAULT_WS_TOKEN): Call<SiteInfo>
}
