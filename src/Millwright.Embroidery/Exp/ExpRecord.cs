namespace Millwright.Embroidery.Exp;

/// <summary>
/// The Melco EXP layout: no header; a stitch is two signed bytes (dx, dy) in 0.1 mm with Y up, so at most 127 per
/// axis (-128, 0x80, is the escape); a control record is four bytes, 0x80, a code, and two signed bytes: 0x01 colour
/// change (00 00), 0x02 a stitch, 0x04 a jump (dx, dy), 0x80 a trim (07 00). The file ends with the last record.
/// </summary>
public static class ExpRecord
{
    public const int MaxMove = 127;
    public const byte Escape = 0x80;
    public const byte ColorChange = 0x01;
    public const byte Stitch = 0x02;
    public const byte Jump = 0x04;
    public const byte Trim = 0x80;
}
