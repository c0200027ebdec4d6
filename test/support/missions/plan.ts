// A .plan as QGroundControl 4.x saves it for an ArduCopter: Westminster Bridge overwatch with a fence and rally points.
export const WESTMINSTER_PLAN = `{
    "fileType": "Plan",
    "geoFence": {
        "circles": [
            {
                "circle": {
                    "center": [51.50105, -0.12448],
                    "radius": 40
                },
                "inclusion": false,
                "version": 1
            }
        ],
        "polygons": [
            {
                "inclusion": true,
                "polygon": [
                    [51.5035, -0.1290],
                    [51.5035, -0.1180],
                    [51.4985, -0.1180],
                    [51.4985, -0.1290]
                ],
                "version": 1
            }
        ],
        "version": 2
    },
    "groundStation": "QGroundControl",
    "mission": {
        "cruiseSpeed": 15,
        "firmwareType": 3,
        "globalPlanAltitudeMode": 1,
        "hoverSpeed": 5,
        "items": [
            {
                "AMSLAltAboveTerrain": null,
                "Altitude": 40,
                "AltitudeMode": 1,
                "autoContinue": true,
                "command": 22,
                "doJumpId": 1,
                "frame": 3,
                "params": [0, 0, 0, null, 51.50079, -0.12192, 40],
                "type": "SimpleItem"
            },
            {
                "autoContinue": true,
                "command": 178,
                "doJumpId": 2,
                "frame": 2,
                "params": [1, 6, -1, 0, 0, 0, 0],
                "type": "SimpleItem"
            },
            {
                "AMSLAltAboveTerrain": null,
                "Altitude": 45,
                "AltitudeMode": 1,
                "autoContinue": true,
                "command": 16,
                "doJumpId": 3,
                "frame": 3,
                "params": [0, 0, 0, null, 51.50091, -0.12036, 45],
                "type": "SimpleItem"
            },
            {
                "AMSLAltAboveTerrain": null,
                "Altitude": 45,
                "AltitudeMode": 1,
                "autoContinue": true,
                "command": 19,
                "doJumpId": 4,
                "frame": 3,
                "params": [20, 0, 0, null, 51.50102, -0.12270, 45],
                "type": "SimpleItem"
            },
            {
                "autoContinue": true,
                "command": 20,
                "doJumpId": 5,
                "frame": 2,
                "params": [0, 0, 0, 0, 0, 0, 0],
                "type": "SimpleItem"
            }
        ],
        "plannedHomePosition": [51.50069, -0.12171, 6.4],
        "vehicleType": 2,
        "version": 2
    },
    "rallyPoints": {
        "points": [
            [51.50041, -0.12250, 30],
            [51.50160, -0.12330, 30]
        ],
        "version": 2
    },
    "version": 1
}
`;
