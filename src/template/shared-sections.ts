/**
 * Which parts of a prompt are the same for every item: the texts of the template's role sections that use
 * no item variable, helper or block (plain text between `{{role}}` markers). Provider prompt caching may
 * mark only such a prefix; a marker on a prefix that varies per item writes a new cache entry for every
 * item (Anthropic bills a write at 1.25× the input price) and is never read.
 */

/** The section texts of a parsed template body that cannot vary between items, trimmed as messages are. */
export function findSharedSectionTexts(program: hbs.AST.Program): Set<string> {
  const shared = new Set<string>();
  let text = '';
  let varies = false;
  const close = (): void => {
    const trimmed = text.trim();
    if (!varies && trimmed !== '') shared.add(trimmed);
    text = '';
    varies = false;
  };
  for (const statement of program.body) {
    if (isRoleMarker(statement)) close();
    else if (statement.type === 'ContentStatement') text += (statement as hbs.AST.ContentStatement).value;
    else if (statement.type !== 'CommentStatement') varies = true;
  }
  close();
  return shared;
}

/** True when a whole template source has no Handlebars expression at all (a literal `--system`). */
export function isLiteralTemplate(source: string): boolean {
  return !source.includes('{{');
}

function isRoleMarker(statement: hbs.AST.Statement): boolean {
  if (statement.type !== 'MustacheStatement') return false;
  const { path, params } = statement as hbs.AST.MustacheStatement;
  // A role given by a variable (`{{role kind}}`) makes the section vary: not a plain marker.
  return path.type === 'PathExpression' && (path as hbs.AST.PathExpression).original === 'role' && params.every((param) => param.type === 'StringLiteral');
}
