namespace Millwright.Tests.Makerspace;

/// <summary>
/// A small labelled set for duplicate detection, written for this test: ideas an appliance maker's community
/// might propose, grouped by topic (ideas of one topic are duplicates of one another), some distractors that
/// share words with a topic without being the same idea, and queries worded the way a new proposer would type
/// them, each labelled with the topic it duplicates.
/// </summary>
internal static class DuplicateSet
{
    public static readonly (string Topic, string Title, string Description)[] Ideas =
    [
        ("lint", "Self-cleaning lint filter", "The dryer lint filter should clean itself after each cycle so I never forget it."),
        ("lint", "Automatic lint trap cleaning", "Dryer that removes the lint from its trap automatically."),
        ("door-alarm", "Fridge door open alarm", "Beep if the refrigerator door is left open for more than a minute."),
        ("door-alarm", "Warn me when the freezer door stays ajar", "An alert on my phone when the freezer or fridge door is not closed."),
        ("quiet-spin", "Quieter spin cycle", "Washing machine spin is too loud at night; reduce the noise and vibration."),
        ("quiet-spin", "Night mode for the washer", "A silent mode with slower spin so the washer does not wake the baby."),
        ("detergent", "Automatic detergent dosing", "The washer measures and doses liquid detergent from a tank by itself."),
        ("detergent", "Detergent tank for 20 washes", "Fill a reservoir once and the machine doses the right amount of detergent every wash."),
        ("oven-camera", "Camera inside the oven", "Watch the baking through a camera in the oven from the app."),
        ("oven-camera", "See my cake rising from the sofa", "Oven with a built-in camera streaming to my phone."),
        ("water-leak", "Leak sensor under the dishwasher", "Detect water leaking under the dishwasher and shut the inlet valve."),
        ("water-leak", "Flood protection", "Stop the water supply automatically when a leak is detected on the floor."),
        ("energy", "Run when electricity is cheap", "Start the dishwasher when the tariff is lowest at night."),
        ("energy", "Tariff-aware scheduling", "Appliances delay their start until the electricity price drops."),
        ("ice", "Faster ice maker", "The ice maker takes hours; make ice cubes faster for parties."),
        ("ice", "Ice cubes on demand quickly", "Boost mode to produce ice quickly before guests arrive."),
        ("filter-reminder", "Water filter replacement reminder", "Remind me when the fridge water filter needs replacing."),
        ("filter-reminder", "Tell me when to change the filter", "Notification that the refrigerator's water filter is due for a change."),
        ("child-lock", "Child lock on the oven knobs", "Lock the oven controls so toddlers cannot turn it on."),
        ("child-lock", "Safety lock for kids", "A lock that stops children from starting the cooker."),
        ("steam", "Steam refresh for shirts", "A steam cycle in the dryer to remove wrinkles without washing."),
        ("steam", "Dewrinkle with steam", "Use steam to refresh clothes and take out creases instead of ironing."),
        ("handle", "Recessed handle for the fridge", "A flush door handle so the fridge fits a narrow kitchen."),
        ("handle", "Handle-less fridge door", "Push-to-open fridge door with no protruding handle."),

        // Distractors: words in common with a topic, another idea.
        ("", "Bigger dryer drum", "A dryer drum with more capacity for duvets."),
        ("", "Oven light that lasts", "The oven lamp burns out too often; use an LED."),
        ("", "Fridge shelf that slides", "Sliding glass shelves in the fridge to reach the back."),
        ("", "Washer with a wifi app", "Start and monitor the washing machine from the app."),
        ("", "Quieter fridge compressor", "The refrigerator hums; make the compressor quieter."),
        ("", "Dishwasher third rack", "An extra cutlery rack at the top of the dishwasher."),
        ("", "Door seal easy to clean", "A washer door seal that does not collect mould."),
        ("", "Ice-blue colour option", "Offer the fridge in an ice-blue finish."),
    ];

    public static readonly (string Topic, string Text)[] Queries =
    [
        ("lint", "dryer filter that empties the lint by itself"),
        ("door-alarm", "alarm when the fridge door is left open"),
        ("quiet-spin", "washer too noisy when spinning at night"),
        ("detergent", "machine doses detergent automatically"),
        ("oven-camera", "oven camera so I can watch baking on my phone"),
        ("water-leak", "shut off water when the dishwasher leaks"),
        ("energy", "start appliances when electricity price is low"),
        ("ice", "make ice faster"),
        ("filter-reminder", "reminder to replace the water filter"),
        ("child-lock", "lock so kids cannot switch on the oven"),
        ("steam", "steam to remove wrinkles from shirts"),
        ("handle", "fridge without a handle sticking out"),
    ];
}
