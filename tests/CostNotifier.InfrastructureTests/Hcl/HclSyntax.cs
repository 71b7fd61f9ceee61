using System.Globalization;
using System.Text;

namespace CostNotifier.InfrastructureTests.Hcl;

/// <summary>Expression syntax tree: the subset of HCL's expression language this repository's Terraform uses.</summary>
public abstract record HclExpr;

public sealed record LiteralExpr(HclValue Value) : HclExpr;

/// <summary>A string template: literal text and interpolated expressions. <c>"${x}"</c> alone yields x unchanged.</summary>
public sealed record TemplateExpr(IReadOnlyList<object> Parts) : HclExpr;

public abstract record TraversalStep;

public sealed record AttributeStep(string Name) : TraversalStep;

public sealed record IndexStep(HclExpr Key) : TraversalStep;

public sealed record SplatStep : TraversalStep;

public sealed record TraversalExpr(HclExpr Source, IReadOnlyList<TraversalStep> Steps) : HclExpr;

public sealed record VariableExpr(string Name) : HclExpr;

public sealed record FunctionCallExpr(string Name, IReadOnlyList<HclExpr> Arguments) : HclExpr;

public sealed record UnaryExpr(string Operator, HclExpr Operand) : HclExpr;

public sealed record BinaryExpr(string Operator, HclExpr Left, HclExpr Right) : HclExpr;

public sealed record ConditionalExpr(HclExpr Condition, HclExpr Then, HclExpr Else) : HclExpr;

public sealed record TupleExpr(IReadOnlyList<HclExpr> Items) : HclExpr;

/// <summary>Object constructor; a key is either a bare name (<see cref="LiteralExpr"/>) or an expression.</summary>
public sealed record ObjectExpr(IReadOnlyList<(HclExpr Key, HclExpr Value)> Items) : HclExpr;

public sealed record ForExpr(
    string? KeyVariable,
    string ValueVariable,
    HclExpr Collection,
    HclExpr? KeyResult,
    HclExpr ValueResult,
    HclExpr? Condition,
    bool ProducesObject) : HclExpr;

/// <summary>Parses HCL expressions and the string templates hcl2json leaves attribute values as.</summary>
public static class HclParser
{
    /// <summary>
    /// Parses a template as hcl2json emits it: literal parts already unescaped, <c>$${</c> for a literal
    /// <c>${</c>, interpolations as raw HCL.
    /// </summary>
    public static HclExpr ParseTemplate(string text) => new TemplateExpr(SplitTemplate(text, unescape: false));

    public static HclExpr ParseExpression(string text)
    {
        var parser = new Parser(new Lexer(text).Tokenize(), text);
        var expr = parser.ParseExpression();
        parser.ExpectEnd();
        return expr;
    }

    private static List<object> SplitTemplate(string text, bool unescape)
    {
        var parts = new List<object>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if ((c == '$' || c == '%') && Peek(text, i + 1) == c && Peek(text, i + 2) == '{')
            {
                literal.Append(c).Append('{');
                i += 3;
            }
            else if (c == '$' && Peek(text, i + 1) == '{')
            {
                var end = FindClosingBrace(text, i + 2);
                var inner = text[(i + 2)..end].Trim().Trim('~').Trim();
                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }

                parts.Add(ParseExpression(inner));
                i = end + 1;
            }
            else if (c == '%' && Peek(text, i + 1) == '{')
            {
                // Template directives (%{ if }, %{ for }) are not used by this repository's checks.
                parts.Add(new LiteralExpr(new HclUnknown("template directive")));
                i = FindClosingBrace(text, i + 2) + 1;
            }
            else if (unescape && c == '\\' && i + 1 < text.Length)
            {
                i = Unescape(text, i, literal);
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }

        if (literal.Length > 0 || parts.Count == 0)
        {
            parts.Add(literal.ToString());
        }

        return parts;
    }

    private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';

    private static int Unescape(string text, int i, StringBuilder literal)
    {
        var next = text[i + 1];
        switch (next)
        {
            case 'n': literal.Append('\n'); return i + 2;
            case 'r': literal.Append('\r'); return i + 2;
            case 't': literal.Append('\t'); return i + 2;
            case 'u' when i + 5 < text.Length:
                literal.Append((char)int.Parse(text.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                return i + 6;
            default: literal.Append(next); return i + 2;
        }
    }

    /// <summary>Index of the brace closing an interpolation that starts at <paramref name="start"/>, skipping nested braces and strings.</summary>
    private static int FindClosingBrace(string text, int start)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"':
                    i = SkipString(text, i);
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when depth == 0:
                    return i;
                case '}':
                    depth--;
                    break;
            }
        }

        throw new FormatException($"Unterminated interpolation in: {text}");
    }

    /// <summary>Index of the quote closing the string opened at <paramref name="open"/>, skipping escapes and interpolations.</summary>
    private static int SkipString(string text, int open)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
            else if ((text[i] == '$' || text[i] == '%') && Peek(text, i + 1) == '{')
            {
                i = FindClosingBrace(text, i + 2);
            }
        }

        throw new FormatException($"Unterminated string in: {text}");
    }

    private enum TokenKind { Number, String, Identifier, Symbol, End }

    private readonly record struct Token(TokenKind Kind, string Text);

    private sealed class Lexer(string text)
    {
        private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "&&", "||", "=>", "...", "+", "-", "*", "/", "%", "<", ">", "!", "?", ":", "=", ",", ".", "(", ")", "[", "]", "{", "}"];

        public List<Token> Tokenize()
        {
            var tokens = new List<Token>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '#' || (c == '/' && Peek(text, i + 1) == '/'))
                {
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (char.IsDigit(c))
                {
                    var start = i;
                    while (i < text.Length && (char.IsDigit(text[i]) || (text[i] == '.' && char.IsDigit(Peek(text, i + 1)))))
                    {
                        i++;
                    }

                    if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                    {
                        i++;
                        if (text[i] is '+' or '-')
                        {
                            i++;
                        }

                        while (i < text.Length && char.IsDigit(text[i]))
                        {
                            i++;
                        }
                    }

                    tokens.Add(new Token(TokenKind.Number, text[start..i]));
                }
                else if (char.IsLetter(c) || c == '_')
                {
                    var start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-'))
                    {
                        i++;
                    }

                    tokens.Add(new Token(TokenKind.Identifier, text[start..i]));
                }
                else if (c == '"')
                {
                    var end = SkipString(text, i);
                    tokens.Add(new Token(TokenKind.String, text[(i + 1)..end]));
                    i = end + 1;
                }
                else
                {
                    var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                        ?? throw new FormatException($"Unexpected character '{c}' at {i} in: {text}");
                    tokens.Add(new Token(TokenKind.Symbol, symbol));
                    i += symbol.Length;
                }
            }

            tokens.Add(new Token(TokenKind.End, ""));
            return tokens;
        }
    }

    private sealed class Parser(List<Token> tokens, string source)
    {
        private int _position;

        private Token Current => tokens[_position];

        private bool IsSymbol(string symbol) => Current.Kind == TokenKind.Symbol && Current.Text == symbol;

        private Token Next() => tokens[_position++];

        private void Expect(string symbol)
        {
            if (!IsSymbol(symbol))
            {
                throw new FormatException($"Expected '{symbol}' but found '{Current.Text}' in: {source}");
            }

            _position++;
        }

        public void ExpectEnd()
        {
            if (Current.Kind != TokenKind.End)
            {
                throw new FormatException($"Unexpected '{Current.Text}' in: {source}");
            }
        }

        public HclExpr ParseExpression()
        {
            var condition = ParseBinary(0);
            if (!IsSymbol("?"))
            {
                return condition;
            }

            _position++;
            var then = ParseExpression();
            Expect(":");
            var otherwise = ParseExpression();
            return new ConditionalExpr(condition, then, otherwise);
        }

        private static readonly string[][] Precedence =
        [
            ["||"],
            ["&&"],
            ["==", "!="],
            ["<", ">", "<=", ">="],
            ["+", "-"],
            ["*", "/", "%"],
        ];

        private HclExpr ParseBinary(int level)
        {
            if (level == Precedence.Length)
            {
                return ParseUnary();
            }

            var left = ParseBinary(level + 1);
            while (Current.Kind == TokenKind.Symbol && Precedence[level].Contains(Current.Text))
            {
                var op = Next().Text;
                left = new BinaryExpr(op, left, ParseBinary(level + 1));
            }

            return left;
        }

        private HclExpr ParseUnary()
        {
            if (IsSymbol("!") || IsSymbol("-"))
            {
                var op = Next().Text;
                return new UnaryExpr(op, ParseUnary());
            }

            return ParsePostfix(ParsePrimary());
        }

        private HclExpr ParsePostfix(HclExpr source)
        {
            var steps = new List<TraversalStep>();
            while (true)
            {
                if (IsSymbol(".") && tokens[_position + 1].Kind == TokenKind.Identifier)
                {
                    _position++;
                    steps.Add(new AttributeStep(Next().Text));
                }
                else if (IsSymbol(".") && tokens[_position + 1].Kind == TokenKind.Number)
                {
                    _position++;
                    steps.Add(new IndexStep(new LiteralExpr(new HclNumber(decimal.Parse(Next().Text, CultureInfo.InvariantCulture)))));
                }
                else if (IsSymbol(".") && tokens[_position + 1].Text == "*")
                {
                    _position += 2;
                    steps.Add(new SplatStep());
                }
                else if (IsSymbol("[") && tokens[_position + 1].Text == "*" && tokens[_position + 2].Text == "]")
                {
                    _position += 3;
                    steps.Add(new SplatStep());
                }
                else if (IsSymbol("["))
                {
                    _position++;
                    steps.Add(new IndexStep(ParseExpression()));
                    Expect("]");
                }
                else
                {
                    return steps.Count == 0 ? source : new TraversalExpr(source, steps);
                }
            }
        }

        private HclExpr ParsePrimary()
        {
            var token = Next();
            switch (token.Kind)
            {
                case TokenKind.Number:
                    return new LiteralExpr(new HclNumber(decimal.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture)));
                case TokenKind.String:
                    return new TemplateExpr(SplitTemplate(token.Text, unescape: true));
                case TokenKind.Identifier when token.Text == "true":
                    return new LiteralExpr(new HclBool(true));
                case TokenKind.Identifier when token.Text == "false":
                    return new LiteralExpr(new HclBool(false));
                case TokenKind.Identifier when token.Text == "null":
                    return new LiteralExpr(HclValue.Null);
                case TokenKind.Identifier when IsSymbol("("):
                    return ParseCall(token.Text);
                case TokenKind.Identifier:
                    return new VariableExpr(token.Text);
                case TokenKind.Symbol when token.Text == "(":
                    var inner = ParseExpression();
                    Expect(")");
                    return inner;
                case TokenKind.Symbol when token.Text == "[":
                    return Current.Text == "for" ? ParseFor(closing: "]") : ParseTuple();
                case TokenKind.Symbol when token.Text == "{":
                    return Current.Text == "for" ? ParseFor(closing: "}") : ParseObject();
                default:
                    throw new FormatException($"Unexpected '{token.Text}' in: {source}");
            }
        }

        private FunctionCallExpr ParseCall(string name)
        {
            Expect("(");
            var arguments = new List<HclExpr>();
            while (!IsSymbol(")"))
            {
                arguments.Add(ParseExpression());
                if (IsSymbol("..."))
                {
                    _position++;
                }

                if (!IsSymbol(","))
                {
                    break;
                }

                _position++;
            }

            Expect(")");
            return new FunctionCallExpr(name, arguments);
        }

        private TupleExpr ParseTuple()
        {
            var items = new List<HclExpr>();
            while (!IsSymbol("]"))
            {
                items.Add(ParseExpression());
                if (!IsSymbol(","))
                {
                    break;
                }

                _position++;
            }

            Expect("]");
            return new TupleExpr(items);
        }

        private ObjectExpr ParseObject()
        {
            var items = new List<(HclExpr, HclExpr)>();
            while (!IsSymbol("}"))
            {
                HclExpr key;
                if (Current.Kind == TokenKind.Identifier && (tokens[_position + 1].Text is "=" or ":"))
                {
                    key = new LiteralExpr(new HclString(Next().Text));
                }
                else
                {
                    key = ParseExpression();
                }

                if (!IsSymbol("=") && !IsSymbol(":"))
                {
                    throw new FormatException($"Expected '=' after object key in: {source}");
                }

                _position++;
                items.Add((key, ParseExpression()));
                if (IsSymbol(","))
                {
                    _position++;
                }
            }

            Expect("}");
            return new ObjectExpr(items);
        }

        private ForExpr ParseFor(string closing)
        {
            _position++; // for
            string? keyVariable = null;
            var valueVariable = Next().Text;
            if (IsSymbol(","))
            {
                _position++;
                keyVariable = valueVariable;
                valueVariable = Next().Text;
            }

            if (Next().Text != "in")
            {
                throw new FormatException($"Expected 'in' in for expression: {source}");
            }

            var collection = ParseExpression();
            Expect(":");
            HclExpr? keyResult = null;
            var valueResult = ParseExpression();
            if (closing == "}")
            {
                Expect("=>");
                keyResult = valueResult;
                valueResult = ParseExpression();
                if (IsSymbol("..."))
                {
                    _position++;
                }
            }

            HclExpr? condition = null;
            if (Current.Kind == TokenKind.Identifier && Current.Text == "if")
            {
                _position++;
                condition = ParseExpression();
            }

            Expect(closing);
            return new ForExpr(keyVariable, valueVariable, collection, keyResult, valueResult, condition, closing == "}");
        }
    }
}
