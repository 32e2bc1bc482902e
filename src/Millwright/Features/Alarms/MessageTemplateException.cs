namespace Millwright.Features.Alarms;

/// <summary>The one refusal of <see cref="MessageTemplate.Parse"/>: what is wrong with the text and where.</summary>
internal sealed class MessageTemplateException(string message) : Exception(message);
