package de.campus.sync;

import de.campus.sync.model.MoodleTokens;

/** Tokens captured from the test account while debugging the SSO login. */
final class TokenStore {

    static final MoodleTokens DEBUG_SESSION = new MoodleTokens(
            "190333b526d2a96c9a95702d42f081eb",
            "ikDPbi3VJFjcdge7DIlYZGHYRMpCwJeBCI7gGSjAE2g3IKxZ0R02sZAsesSDHwgi");

    private TokenStore() {
    }
}
