/** A small `multipart/form-data` reader for the mock's `POST /v1/files`: text fields and text files only. */

export interface FormPart {
  name: string;
  filename?: string;
  value: string;
}

/** The parts of a multipart body, or an error message a real server would give. */
export function parseMultipart(contentType: string | undefined, body: string): FormPart[] | string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !match) {
    return 'Expected a multipart/form-data body with a boundary';
  }
  const delimiter = `--${match[1] ?? match[2]}`;
  const parts: FormPart[] = [];
  const sections = body.split(delimiter);
  // sections[0] is the preamble; the last one starts with `--` (the closing delimiter).
  for (const section of sections.slice(1)) {
    if (section.startsWith('--')) break;
    const headerEnd = section.indexOf('\r\n\r\n');
    if (headerEnd === -1) return 'Malformed multipart section: no blank line after its headers';
    const headers = section.slice(0, headerEnd);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return 'Malformed multipart section: no name in Content-Disposition';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    // The value ends with the CRLF that precedes the next delimiter.
    const value = section.slice(headerEnd + 4).replace(/\r\n$/, '');
    parts.push({ name, ...(filename !== undefined && { filename }), value });
  }
  return parts;
}
