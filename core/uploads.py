"""What to tell the user about an upload whose form Django could not read at all."""


def multipart_problem(error: str) -> str:
    """The reason for a MultiPartParserError's message, in the user's words: a browser
    sends nothing long in the headers of a form's part but the file's name (Django takes
    1,024 bytes: a name of about 900 characters)."""
    if "header size exceeded" in error:
        return (
            "The file name is too long to upload. Rename the file to a shorter name and "
            "upload it again."
        )
    return f"The uploaded form could not be read ({error.rstrip('.')}). Upload the file again."
