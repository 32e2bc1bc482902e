namespace Millwright.Messages;

internal enum TagValueKind
{
    Number,
    Boolean,
    Text,
}
