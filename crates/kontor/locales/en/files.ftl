# Texts of the files module.

## Files
tab-files = Files
action-download = Download
action-preview = Preview
field-size = Size
field-uploaded-by = Uploaded by
field-visible-to-customer = Visible to customer
files-drop-hint = Drop files here or choose them.
files-max = Up to
files-shared = Shared
files-not-shared = Not shared
files-by-contact = Contact
files-attached-to = Attached to
flash-uploaded = Uploaded.
error-file-too-large = The file is larger than the allowed maximum.
error-file-empty = The file is empty.
error-file-name = This file name is not allowed (no paths or control characters).
error-file-name-too-long = The file name is too long (at most 200 characters).
error-file-name-invisible = The file name contains invisible characters or characters that reverse the writing direction; please rename the file.
error-too-many-files = Too many files at once; upload at most 20 per request.
error-upload-broken = The upload was interrupted; please try again.
field-file = File
file-type-pdf = PDF
file-type-image = Image
file-type-spreadsheet = Spreadsheet
file-type-document = Document
file-type-slides = Presentation
file-type-archive = Archive
file-type-audio = Audio
file-type-video = Video
file-type-text = Text
file-type-other = File
