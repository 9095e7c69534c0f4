"""The static files storage of production (settings.STATIC_MANIFEST, set by the Docker image).

whitenoise's compressed manifest: every file under a name carrying its hash (cached for a year by browsers, a new name
at each change) and pre-compressed. One change: the ``sourceMappingURL`` comments of the vendored minified files
(Bootstrap) are left as they are, because their ``.map`` files are not shipped, and Django's post-processing would stop
collectstatic on the missing file. Every other reference (``url()``, ``@import``) is rewritten to its hashed name.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    def keep(pattern):
        regex = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" not in regex

    return tuple((extension, tuple(p for p in group if keep(p))) for extension, group in patterns)


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
