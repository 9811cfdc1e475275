// This file is part of Moodle - https://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.

// DocSearch settings for the developer documentation site.
module.exports = {
    // The application ID given by the search provider.
    appId: 'K4TQ9ZL2WM',

    // Search-only key: it is safe to publish it.
    apiKey: '3b9e0f7ac41d26e58f0c7a9d2b64e1f8',

    indexName: 'devdocs_lms',
    contextualSearch: true,
};
