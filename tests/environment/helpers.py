from environment.services import Reading


def reading(sensor, value, at):
    return Reading(sensor_id=sensor.pk, value=float(value), at=at)
